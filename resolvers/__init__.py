"""Thin GraphQL resolvers and per-request dataloaders."""
