# tmfd on Debian 12: build in one stage, run from a slim one with only the runtime libraries.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTMFD_BUILD_TESTS=OFF \
      -DCMAKE_INSTALL_PREFIX=/opt/tmfd \
 && ninja -C /build \
 && cmake --install /build

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libboost-log1.81.0 libsqlite3-0 libyaml-cpp0.7 libjemalloc2 libssl3 librdkafka1 \
      ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/tmfd --create-home tmfd
COPY --from=build /opt/tmfd /opt/tmfd
COPY config/docker.yaml /etc/tmfd/tmfd.yaml
USER tmfd
WORKDIR /var/lib/tmfd
EXPOSE 8080
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["/opt/tmfd/bin/tmfd"]
CMD ["--config", "/etc/tmfd/tmfd.yaml"]
