# syntax=docker/dockerfile:1.7
#
# SP-404 Sample Agent: one static binary with the web UI embedded, on distroless/static.
#
#   docker build \
#     --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg COMMIT=$(git rev-parse --short HEAD) \
#     -t sp404agent:$(git describe --tags --always --dirty) .
#
# The same steps run without Docker in bench/soak/build-check.sh; keep the two in step.
# Nothing secret is baked in: configuration comes from the environment at run time.

ARG NODE_VERSION=20
ARG GO_VERSION=1.26.8

# --- 1. web UI: web/ -> web/dist ---------------------------------------------------------------
# The bundle is platform-independent, so it is built once on the build machine's platform.
FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# --- 2. static binary --------------------------------------------------------------------------
# Pure Go (modernc.org/sqlite, pgx), so CGO is off and cross-compiling needs no C toolchain.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# The freshly built UI replaces whatever web/dist the context had (.dockerignore leaves it out).
COPY --from=web /src/web/dist ./web/dist
ARG VERSION=dev
ARG COMMIT=none
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH:-amd64} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/sp404agent ./cmd/sp404agent
# DATA_DIR, owned by the runtime user: an empty named volume mounted here inherits this owner.
RUN mkdir -p /out/data

# --- 3. runtime --------------------------------------------------------------------------------
# distroless/static: CA certificates (for OpenRouter over HTTPS), tzdata, /etc/passwd with the
# "nonroot" user (uid/gid 65532); no shell, no package manager, no curl.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
ARG COMMIT=none
LABEL org.opencontainers.image.title="SP-404 Sample Agent" \
      org.opencontainers.image.description="Self-hosted sample library and kit export for Roland SP-404 samplers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
COPY --from=build /out/sp404agent /usr/local/bin/sp404agent
COPY --from=build --chown=65532:65532 /out/data /data
ENV DATA_DIR=/data \
    PORT=8100 \
    ENVIRONMENT=production
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8100
# `sp404agent healthcheck` GETs http://127.0.0.1:$PORT/health and exits 0 on 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/sp404agent", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/sp404agent"]
CMD ["serve"]
