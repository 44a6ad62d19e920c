# syntax=docker/dockerfile:1
# reelroute: built with Maven, run on a JRE with ffmpeg (renders) and espeak-ng (voiceovers).
# docker build -t reelroute .   (docker-compose.yml at the repository root builds and runs it)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, in their own layer: a source change does not download them again
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# extracted (the jar plus lib/): the form class data sharing needs
RUN mvn -B -q -DskipTests package \
 && cp target/reelroute-*.jar /build/reelroute.jar \
 && java -Djarmode=tools -jar /build/reelroute.jar extract --destination /build/application

FROM eclipse-temurin:17-jre
# fonts-dejavu-core: the title cards' font; curl: the health check
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /app reelroute
WORKDIR /app
COPY --from=build --chown=reelroute:reelroute /build/application /app/application
USER reelroute
# Start-up with class data sharing (bench/startup.sh: about 40 % less CPU to readiness): one training start on a
# throwaway data dir runs until readiness is UP and stops, and the JVM writes the archive of the classes it loaded;
# the service starts with that archive (a mismatch only costs the gain: the JVM goes on without it).
COPY scripts/cds-archive.sh /tmp/cds-archive.sh
RUN bash /tmp/cds-archive.sh /app/application/reelroute.jar /app/application/reelroute.jsa
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
# the heap follows the container's memory limit, starting small (it grows as needed); only the quick JIT compiler
# and the serial collector: less CPU to readiness, less memory idle (docs/operations.md "Start-up", bench/README.md)
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms64m", \
            "-XX:SharedArchiveFile=/app/application/reelroute.jsa", "-jar", "/app/application/reelroute.jar"]
