# The Big One server. Build the dashboard first (npm --prefix frontend run build)
# or let this multi-stage build do it.
FROM node:20-bookworm-slim AS dashboard
WORKDIR /src
COPY frontend/ frontend/
COPY schema.graphql ./
RUN if [ -f frontend/package.json ]; then \
      cd frontend && npm ci --no-audit --no-fund && npm run build; \
    else mkdir -p frontend/dist; fi

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app/ app/
COPY schema/ schema/
COPY resolvers/ resolvers/
COPY connectors/ connectors/
COPY migrations/ migrations/
COPY store/ store/
COPY graph/ graph/
COPY linking/ linking/
COPY analytics/ analytics/
COPY indonesian/ indonesian/
COPY schema.graphql ./
COPY --from=dashboard /src/frontend/dist frontend/dist
RUN pip install --no-cache-dir .
RUN useradd --system --home /app bigone && mkdir -p /app/data && chown bigone /app/data
USER bigone
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["sh", "-c", "bigone migrate && bigone serve --host 0.0.0.0 --port 8000"]
