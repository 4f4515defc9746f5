# One image per service: docker build --build-arg SERVICE=gateway -t bluegreen/gateway .
# SERVICE is one of deploy-agent, health-monitor, traffic-router, gateway, or preflight (the doctor and dry-run command).
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
# Spring Boot's tools jar mode unpacks the exec jar into service.jar and lib/: class data sharing needs plain jars on
# the class path, not jars nested in a jar.
RUN ./mvnw -q -DskipTests package -pl ${SERVICE} -am \
    && java -Djarmode=tools -jar ${SERVICE}/target/${SERVICE}-*-exec.jar extract --destination /extracted \
    && mv /extracted/${SERVICE}-*-exec.jar /extracted/service.jar

FROM eclipse-temurin:17-jre
ARG SERVICE
# curl answers compose's health checks against the service's actuator endpoint (and the training run's, below);
# openssh-client makes the training run's throw-away deploy key (below), and is removed after it
RUN apt-get update && apt-get install -y --no-install-recommends curl openssh-client && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app bluegreen
WORKDIR /app
COPY --from=build /extracted/ /app/
COPY docker/cds-training.yml docker/cds-training.sh /app/
# A training run: the JVM writes the classes the service loaded to service.jsa as it exits, and every start then maps
# them instead of reading and verifying them again. Same JVM and flags as the ENTRYPOINT: an archive made otherwise is
# ignored. A service runs with no Kafka to reach until its readiness endpoint answers, then is stopped
# (cds-training.sh: so the web server, the first request and the Kafka clients are in the archive too); the preflight, a
# command, runs doctor as far as a refreshed context (-Dspring.context.exit=onRefresh: nothing contacted).
# The deploy-agent reads its deploy key at start-up: the training run gets a key made for it and deleted after it.
# BouncyCastle's jars are signed, and CDS skips signed jars: those warnings are expected, hence cds=error.
RUN ssh_dir=$(mktemp -d) && touch "$ssh_dir/known_hosts" && ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/key" \
    && jvm="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms32m -Xmx128m \
       -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m" \
    && settings="--bluegreen.config=/app/cds-training.yml \
       --spring.kafka.admin.auto-create=false --spring.kafka.bootstrap-servers=127.0.0.1:1 \
       --bluegreen.ssh.private-key=$ssh_dir/key --bluegreen.ssh.known-hosts=$ssh_dir/known_hosts \
       --bluegreen.digitalocean.token=training" \
    && if [ "$SERVICE" = preflight ]; then \
         java -XX:ArchiveClassesAtExit=/app/service.jsa -Xlog:cds=error -Dspring.context.exit=onRefresh $jvm \
           -jar /app/service.jar doctor $settings; \
       else \
         bash /app/cds-training.sh /app/service.jsa 8099 $jvm -jar /app/service.jar $settings; \
       fi \
    && rm -r "$ssh_dir" /app/cds-training.sh && test -s /app/service.jsa \
    && apt-get purge -y --auto-remove openssh-client
USER bluegreen
# A small service next to Kafka on a small droplet (README, Footprint): the serial collector (one or two cores, a heap
# of tens of MB), the C1 compiler only (starts sooner; these services wait on I/O, not on compiled code), half-size
# thread stacks, and the class data archive above. The heap is JDK_JAVA_OPTIONS, which compose may change: it starts at
# 32 MB and grows as needed up to 128 MB (starting at the ceiling kept about 20 MB more resident in each service).
# glibc's malloc keeps up to eight arenas a core for the JVM's native memory; two are plenty for about 30 threads that
# mostly wait, and keep 2 to 3 MB less resident.
ENV JDK_JAVA_OPTIONS="-Xms32m -Xmx128m" MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/service.jsa", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", \
    "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m", "-jar", "/app/service.jar"]
