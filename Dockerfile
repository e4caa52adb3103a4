# Multi-stage build: a static binary (CGO_ENABLED=0) on a minimal non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/beian .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/beian /usr/local/bin/beian
ENV BEIAN_HTTP_ADDR=:8080
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/beian"]
CMD ["all"]
