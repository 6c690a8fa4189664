# Build: docker build -t missiongrants .
# Run:   docker run -p 8080:8080 -e DATABASE_URL=postgres://... -e BASE_URL=https://grants.example.org missiongrants
# The image has no PostgreSQL: it always needs DATABASE_URL (see docs/deploy.md).
FROM docker.io/library/golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/missiongrants ./cmd/missiongrants

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/missiongrants /usr/local/bin/missiongrants
USER nonroot:nonroot
ENV LISTEN_ADDR=:8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/missiongrants"]
CMD ["serve"]
