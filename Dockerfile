# Mailstream in a container: all stages with the embedded Kafka broker, as `./mailstream start`.
#   docker build -t mailstream .
#   docker run -d --name mailstream -p 25:2525 -v mailstream-data:/var/lib/mailstream mailstream
#   docker stop -t 60 mailstream     # SIGTERM: 421 to new clients, open transactions finish (up to 45 s)
# Not built in this repository's CI (no container engine there): README says so.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/mailstream --shell /usr/sbin/nologin mailstream \
 && mkdir -p /var/lib/mailstream /etc/mailstream /opt/mailstream \
 && chown mailstream:mailstream /var/lib/mailstream
COPY --from=build /src/ops/target/mailstream.jar /opt/mailstream/mailstream.jar
COPY deploy/docker/mailstream.yaml /etc/mailstream/mailstream.yaml
# Never root: the listener is on 2525 inside the container.
USER mailstream
WORKDIR /var/lib/mailstream
VOLUME /var/lib/mailstream
EXPOSE 2525
STOPSIGNAL SIGTERM
ENV JAVA_OPTS="-Xmx640m"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/mailstream/mailstream.jar \"$@\"", "mailstream"]
CMD ["start", "--config", "/etc/mailstream/mailstream.yaml", "--data-dir", "/var/lib/mailstream"]
