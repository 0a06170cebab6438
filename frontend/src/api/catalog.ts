/** The Satu Data catalog and the region master data. */
import { graphql } from "../gql";

export const DatasetsQuery = graphql(`
  query Datasets($search: String, $agency: String, $sector: String) {
    datasets(search: $search, agency: $agency, sector: $sector, first: 100) {
      totalCount
      items {
        id
        name
        source
        title
        description
        agency
        agencyName
        sector
        frequency
        period
        licence
        accessLevel
        keywords
        rowCount
        updatedAt
        columns {
          name
          dataType
          description
          unit
          codeKind
          isKey
        }
      }
    }
  }
`);

export const RegionQuery = graphql(`
  query Region($code: String!) {
    region(code: $code) {
      code
      name
      level
      levelName
      populationTotal
      areaKm2
      placeId
      parent {
        code
        name
      }
    }
    regions(parent: $code, first: 1000) {
      totalCount
      items {
        code
        name
      }
    }
  }
`);
