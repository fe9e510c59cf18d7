# osml-load as a container: `docker run --init IMAGE run --headless ...`.
# Everything after the image name goes straight to `osml-load` (see docs/distribution.md).
#
# tests/dist_docker.test.ts runs this file's ENTRYPOINT against the simulator (with /app
# mapped to the checkout), so keep ENTRYPOINT in JSON form and its flags equal to the
# `run` task in deno.json.
FROM denoland/deno:2.9.6

LABEL org.opencontainers.image.title="osml-load" \
      org.opencontainers.image.description="Load tester for OSML Model Runner"

# The web UI must be reachable through a published port, so inside the container it binds
# all interfaces (the program's own default is 127.0.0.1). `--web-host` still overrides it.
ENV OSML_LOAD_WEB_HOST=0.0.0.0 \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1

# The program, owned by root and read-only for the user that runs it.
WORKDIR /app
COPY deno.json deno.lock main.ts ./
COPY mod/ mod/
COPY workers/ workers/

# Outputs (CSV, JSON, HTML, logs) go to the working directory, a volume owned by `deno`.
RUN mkdir -p /out && chown deno:deno /out

# Run as the image's non-root user. Download and cache every dependency now (into
# DENO_DIR=/deno-dir, owned by `deno`), so the container needs no registry at run time;
# --frozen fails the build if deno.lock is out of date.
USER deno
RUN deno cache --frozen main.ts workers/user_worker.ts workers/monitor_worker.ts

WORKDIR /out
VOLUME /out
EXPOSE 8089

# Deno handles SIGTERM/SIGINT itself (the run stops cleanly and writes its outputs); run
# with `docker run --init` (ECS: linuxParameters.initProcessEnabled) so an init process
# is PID 1 and forwards signals.
ENTRYPOINT ["deno", "run", "--cached-only", "--no-prompt", "--v8-flags=--max-semi-space-size=1,--optimize-for-size", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys=osRelease,homedir,systemMemoryInfo", "/app/main.ts"]
CMD ["--help"]
