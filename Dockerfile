# One image per service: docker build --build-arg SERVICE=gateway -t bluegreen/gateway .
# SERVICE is one of deploy-agent, health-monitor, traffic-router, gateway, or preflight (the doctor and dry-run command).
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -q -DskipTests package -pl ${SERVICE} -am

FROM eclipse-temurin:17-jre
ARG SERVICE
# curl answers compose's health checks against the service's actuator endpoint
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app bluegreen
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
USER bluegreen
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
