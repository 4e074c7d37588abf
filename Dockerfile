# syntax=docker/dockerfile:1
#
# 民生问答 as one static binary on a distroless base: the documents, prompts
# and web page are embedded, so the image holds nothing else. The index is
# built on first start into /data (a volume) and loaded on later starts.
#
#   docker build -t minsheng .
#   docker run -p 8080:8080 -v minsheng-data:/data minsheng
#
# Health: GET /healthz (process up), GET /readyz (index loaded). The image
# has no shell or curl for a HEALTHCHECK; let the orchestrator probe HTTP.
#
# Stopping: on SIGTERM the server lets answers under way finish for
# MINSHENG_SHUTDOWN_TIMEOUT (30s), Telegram replies included. Docker kills
# after 10s unless told otherwise, which cuts them; give it 35s:
#   docker run --stop-timeout 35 …   (or each time: docker stop -t 35 …)
#   Compose: stop_grace_period: 35s; Kubernetes: terminationGracePeriodSeconds: 35
#
# Storage: the server runs as UID:GID 65532:65532 and writes the index and
# the feedback log under /data. A named volume gets that owner from the
# image; a bind mount does not, so make its directory writable first:
#   sudo chown -R 65532:65532 /srv/minsheng
#   docker run -v /srv/minsheng:/data …

ARG GO_VERSION=1.26
FROM golang:${GO_VERSION} AS build
# go.mod may ask for a newer patch release than the image has; fetch it then
# rather than fail (the official images default to GOTOOLCHAIN=local).
ENV GOTOOLCHAIN=auto CGO_ENABLED=0
WORKDIR /src
# Modules before sources, so that editing code does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/minsheng ./cmd/minsheng
# /data must exist, owned by the runtime user, before VOLUME is declared: a
# new named volume copies this owner, so the non-root server can write it.
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/minsheng /usr/local/bin/minsheng
COPY --from=build --chown=65532:65532 /out/data /data
ENV MINSHENG_DATA_DIR=/data \
    MINSHENG_HTTP_ADDR=0.0.0.0:8080 \
    MINSHENG_LOG_JSON=true
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["minsheng"]
CMD ["serve"]
