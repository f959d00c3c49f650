# collabot: one static binary on distroless.
#
#   docker build -t collabot .
#   docker run --env-file configs/collabot.env -v collabot-data:/data -p 8080:8080 collabot
#
# The organisation (people, groups) comes from /app/configs/collabot.yaml
# when mounted there, or from `serve --config FILE`; with neither, the demo
# organisation built into the binary is used.

# Build stage. The tag follows go.mod's `go 1.26.8`: any 1.26.x image at
# or above it builds as is, an older one fetches the toolchain go.mod asks
# for: the official images set GOTOOLCHAIN=local, so it is set back to auto.
ARG GO_IMAGE=golang:1.26.8
FROM ${GO_IMAGE} AS build
ENV GOTOOLCHAIN=auto
WORKDIR /src
# Modules first, in their own layer: it is reused until go.mod or go.sum
# change, so editing code does not download them again.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
# The same `go build ./cmd/collabot` CI runs (.ci/run checks it), static
# (modernc.org/sqlite is pure Go, so no cgo), without paths or symbols.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/collabot ./cmd/collabot \
 && /out/collabot version \
 && mkdir -p /out/data

# Final stage: no shell, no package manager, CA certificates included,
# user nonroot (65532). Time zones are embedded in the binary (time/tzdata).
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/collabot /usr/local/bin/collabot
# /data must exist owned by nonroot before VOLUME: a fresh named volume
# copies this directory's owner, so the SQLite file can be created in it.
COPY --from=build --chown=65532:65532 /out/data /data
ENV COLLABOT_DB=/data/collabot.db \
    COLLABOT_HTTP_ADDR=:8080 \
    COLLABOT_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
# No HEALTHCHECK: distroless has no shell or curl to run one. Probe
# GET /healthz (alive) and GET /readyz (store, migrations and chat platforms; Redis is reported, not required) from
# the orchestrator instead (a Kubernetes httpGet probe, a load balancer).
ENTRYPOINT ["/usr/local/bin/collabot"]
CMD ["serve"]
