# Multi-stage build: a static binary (CGO_ENABLED=0) on a minimal non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/beian . \
 && mkdir -p /out/share \
 && cp "$(go env GOMODCACHE)/github.com/esimov/pigo@v1.4.6/cascade/facefinder" /out/share/facefinder

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/beian /usr/local/bin/beian
COPY --from=build /out/share/facefinder /usr/local/share/beian/facefinder
ENV BEIAN_FACE_CASCADE=/usr/local/share/beian/facefinder \
    BEIAN_HTTP_ADDR=:8080
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/beian"]
CMD ["all"]
