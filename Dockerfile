# syntax=docker/dockerfile:1
# reelroute: built with Maven, run on a JRE with ffmpeg (renders) and espeak-ng (voiceovers).
# docker build -t reelroute .   (docker-compose.yml at the repository root builds and runs it)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, in their own layer: a source change does not download them again
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package \
 && cp target/reelroute-*.jar /build/reelroute.jar

FROM eclipse-temurin:17-jre
# fonts-dejavu-core: the title cards' font; curl: the health check
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /app reelroute
WORKDIR /app
COPY --from=build /build/reelroute.jar /app/reelroute.jar
USER reelroute
# Scratch space only (inputs being rendered, work dirs): with the mysql, s3 and artemis profiles the state is in
# the database, the bucket and the broker, and an instance keeps nothing it would miss when replaced.
ENV PORT=8080 \
    REELROUTE_MANAGEMENT_PORT=8081 \
    REELROUTE_DATA_DIR=/app/data
# 8081: actuator (health groups, Prometheus, Hawtio), for the host's own network only; see README "Operations"
EXPOSE 8080 8081
# readiness: the database, the broker, the storage and ffmpeg all answer (liveness would be /actuator/health/liveness)
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${REELROUTE_MANAGEMENT_PORT}/actuator/health/readiness" >/dev/null || exit 1
# the heap follows the container's memory limit
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/reelroute.jar"]
