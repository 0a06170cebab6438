/** Big Social queries; every one takes the page's PostFilterInput. */
import { graphql } from "../gql";

export const SocialOverviewQuery = graphql(`
  query SocialOverview($filter: PostFilterInput) {
    sentimentSeries(filter: $filter, granularity: DAY) {
      bucket
      sentiment {
        positive
        neutral
        negative
        total
      }
    }
    volume: socialTrends(filter: $filter, dimension: TOTAL, granularity: DAY, limit: 1) {
      key
      total
      points {
        bucket
        count
        zScore
        isSpike
      }
    }
    issueBreakdown(filter: $filter) {
      issue
      label
      posts
      share
      sentiment {
        net
      }
    }
    socialTopTerms(filter: $filter, limit: 15) {
      term
      posts
    }
    hashtags: socialTrends(filter: $filter, dimension: HASHTAG, granularity: MONTH, limit: 10) {
      key
      total
    }
    shareOfVoice(filter: $filter) {
      entity
      name
      posts
      share
      sentiment {
        positive
        negative
        net
      }
    }
    influencers(filter: $filter, limit: 10) {
      platform
      author
      authorHashed
      posts
      engagement
      netSentiment
    }
  }
`);

export const SearchPostsQuery = graphql(`
  query SearchPosts($query: String!, $filter: PostFilterInput) {
    searchPosts(query: $query, filter: $filter, limit: 10) {
      score
      post {
        id
        platform
        author
        text
        postedAt
        sentiment
        url
        issues {
          issue
        }
      }
    }
  }
`);

export const SocialSpikesQuery = graphql(`
  query SocialSpikes {
    posts(limit: 1) {
      total
    }
    socialTrends(dimension: ISSUE, granularity: DAY, limit: 10) {
      key
      points {
        bucket
        count
        zScore
        isSpike
      }
    }
  }
`);

export const RegionSocialQuery = graphql(`
  query RegionSocial($filter: PostFilterInput) {
    posts(filter: $filter, limit: 3, order: ENGAGEMENT) {
      total
      items {
        id
        text
        platform
        postedAt
        sentiment
      }
    }
    issueBreakdown(filter: $filter) {
      issue
      label
      posts
    }
  }
`);
