/** Big Market queries. */
import { graphql } from "../gql";

export const StapleWatchQuery = graphql(`
  query StapleWatch($threshold: Decimal, $window: Int) {
    stapleWatch(thresholdPercent: $threshold, windowDays: $window) {
      staple
      label
      source
      name
      unit
      regionCode
      listingId
      latestDay
      latestPrice
      referencePrice
      changePercent
      alerting
    }
    priceAlerts(thresholdPercent: $threshold, windowDays: $window) {
      staple
      label
      name
      source
      day
      price
      referencePrice
      changePercent
      direction
    }
  }
`);

export const MarketListingsQuery = graphql(`
  query MarketListings {
    listings(limit: 200) {
      total
      items {
        id
        title
        category
        productId
        shop
      }
    }
  }
`);

export const PriceIndexQuery = graphql(`
  query PriceIndex($category: String!) {
    priceIndex(category: $category, period: WEEK) {
      period
      index
      matched
    }
  }
`);

export const PriceHistoryQuery = graphql(`
  query PriceHistory($productId: String) {
    priceHistory(productId: $productId) {
      observedAt
      minimum
      median
      maximum
      listings
    }
  }
`);

export const TopSellersQuery = graphql(`
  query TopSellers($region: String, $by: SellerRankBy!) {
    topSellers(region: $region, by: $by, limit: 10) {
      key
      name
      marketplace
      regionCode
      listings
      salesMinimum
      salesMaximum
      revenueMinimum
    }
  }
`);

export const LatestAlertsQuery = graphql(`
  query LatestAlerts {
    priceAlerts {
      staple
      label
      name
      day
      price
      changePercent
      direction
    }
    listings(limit: 1) {
      total
    }
  }
`);

export const RegionMarketQuery = graphql(`
  query RegionMarket($region: String!) {
    localSellers(region: $region) {
      marketplace
      shop
      shopLocation
      listings
    }
    stapleWatch(region: $region) {
      name
      latestPrice
      changePercent
      alerting
    }
  }
`);
