import type { CodegenConfig } from "@graphql-codegen/cli";

// Types come from the SDL the server exports (schema.graphql, kept current by a
// pytest), so the build works offline and fails when a query asks for a field
// the server does not have.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { JSON: "unknown", DateTime: "string", Date: "string", Decimal: "string" } },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
