# Spotlight's container image: build with Maven, run on a JRE.
#   docker build -t spotlight .
#   docker run --rm -e SPOTLIGHT_BOOTSTRAP_SERVERS=kafka:9092 -e SPOTLIGHT_WEB_PASSWORD=... -p 127.0.0.1:9404:9404 spotlight run
# JVM options go in JAVA_TOOL_OPTIONS (e.g. -Xmx2g).

# ---- build
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml pom.xml
COPY contract/pom.xml contract/pom.xml
COPY contract/src contract/src
COPY engine/pom.xml engine/pom.xml
COPY engine/src engine/src
COPY pipeline/pom.xml pipeline/pom.xml
COPY pipeline/src pipeline/src
COPY streams-app/pom.xml streams-app/pom.xml
COPY streams-app/src streams-app/src
COPY schemas schemas
RUN mvn -B -q -DskipTests package

# ---- run
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 spotlight \
 && useradd --system --uid 10001 --gid spotlight --home-dir /opt/spotlight --no-create-home \
      --shell /usr/sbin/nologin spotlight \
 && mkdir -p /opt/spotlight/.djl /var/lib/spotlight \
 && chown spotlight:spotlight /opt/spotlight/.djl /var/lib/spotlight
WORKDIR /opt/spotlight
COPY --from=build /src/streams-app/target/lib/ /opt/spotlight/lib/
COPY --from=build /src/streams-app/target/spotlight.jar /opt/spotlight/spotlight.jar
COPY models/ /opt/spotlight/models/
# The registry of the shipped models; /metrics, /health and /ui/ on every interface (publish the port
# on 127.0.0.1 only; the web view then needs SPOTLIGHT_WEB_PASSWORD or SPOTLIGHT_WEB_TOKEN, and
# Spotlight refuses to start without); DJL extracts libtorch from its native jar into a directory the
# user may write; the state directory (the instance's identity, its stores, its explain attempts) on a
# volume that outlives the container.
ENV SPOTLIGHT_MODELS_REGISTRY=/opt/spotlight/models/registry.json \
    SPOTLIGHT_METRICS_HOST=0.0.0.0 \
    SPOTLIGHT_STATE_DIR=/var/lib/spotlight \
    ENGINE_CACHE_DIR=/opt/spotlight/.djl
VOLUME /var/lib/spotlight
USER spotlight:spotlight
EXPOSE 9404
ENTRYPOINT ["java", "-jar", "/opt/spotlight/spotlight.jar"]
CMD ["run"]
