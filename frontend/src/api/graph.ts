/** Queries over the knowledge graph (the foundation's graph fields). */
import { graphql } from "../gql";

export const GraphStatsQuery = graphql(`
  query GraphStats {
    graphStats {
      backend
      all: nodes
      entities: nodes(label: "Entity")
    }
  }
`);

export const EntityNeighbourhoodQuery = graphql(`
  query EntityNeighbourhood($id: ID!, $depth: Int!) {
    graphNode(id: $id) {
      id
      label
      kind
      name
      properties
      neighbours(depth: $depth) {
        nodes {
          id
          label
          kind
          name
          properties
        }
        edges {
          id
          type
          sourceId
          targetId
          properties
        }
      }
    }
  }
`);
