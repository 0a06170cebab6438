/** The knowledge graph's entities, their links with provenance, and the link review queue. */
import { graphql } from "../gql";

export const EntitiesQuery = graphql(`
  query Entities($search: String, $kind: String, $region: String) {
    entities(search: $search, kind: $kind, region: $region, limit: 30) {
      total
      items {
        id
        kind
        name
      }
    }
  }
`);

export const EntityLinksQuery = graphql(`
  query EntityLinks($id: ID!) {
    entity(id: $id) {
      id
      name
      links {
        id
        recordId
        source
        dataset
        key
        method
        modelVersion
        score
        evidence
        status
        decidedBy
        decidedAt
        record {
          found
          row
          error
        }
      }
    }
  }
`);

export const ReviewQueueQuery = graphql(`
  query ReviewQueue($kind: String) {
    reviewQueue(kind: $kind, limit: 50) {
      id
      recordId
      candidateRecordId
      entityId
      candidateEntityId
      kind
      reason
      score
      evidence
      modelVersion
    }
  }
`);

export const AcceptLinkMutation = graphql(`
  mutation AcceptLink($recordId: ID!, $entityId: ID!, $reviewer: String!) {
    acceptLink(recordId: $recordId, entityId: $entityId, reviewer: $reviewer) {
      __typename
      ... on LinkDecided {
        recordId
        entityId
        status
        decidedBy
      }
      ... on LinkNotFound {
        message
      }
      ... on LinkConflict {
        message
      }
    }
  }
`);

export const RejectLinkMutation = graphql(`
  mutation RejectLink($recordId: ID!, $entityId: ID!, $reviewer: String!) {
    rejectLink(recordId: $recordId, entityId: $entityId, reviewer: $reviewer) {
      __typename
      ... on LinkDecided {
        recordId
        entityId
        status
        decidedBy
      }
      ... on LinkNotFound {
        message
      }
      ... on LinkConflict {
        message
      }
    }
  }
`);
