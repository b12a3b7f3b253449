# syntax=docker/dockerfile:1
#
# Two images from one file (docker-compose.yml builds both):
#   --target app    the Python image: Reflex backends, the migrate job and the
#                   realtime service, each started with its own command
#   --target caddy  Caddy with the exported static frontend and the Caddyfile
#
# Base images are pinned to exact versions so a rebuild gets the same system;
# raise them deliberately.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG NODE_IMAGE=node:22.22.0-bookworm-slim
ARG CADDY_IMAGE=caddy:2.10.2-alpine

# --- bun, from the npm registry ----------------------------------------------
# Reflex builds the frontend with bun. Its own installer downloads bun from a
# release site; the npm package carries the same binary.
FROM ${NODE_IMAGE} AS bun
RUN npm install -g --no-fund --no-audit bun@1.4.5

# --- Python dependencies, shared by the frontend build and the app image ------
FROM ${PYTHON_IMAGE} AS python-deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

# --- the static frontend -----------------------------------------------------
FROM python-deps AS frontend
# Node only runs the build tools; bun installs the packages pinned in reflex.lock/.
COPY --from=bun /usr/local/bin/node /usr/local/bin/node
COPY --from=bun /usr/local/lib/node_modules/bun/bin/bun.exe /usr/local/bin/bun
ENV REFLEX_USE_SYSTEM_BUN=1
WORKDIR /build
COPY rxconfig.py ./
COPY reflex.lock/ reflex.lock/
COPY assets/ assets/
COPY chat_app/ chat_app/
# Reflex bakes the backend's address into the build: the public origin, where
# Caddy routes /_event and the app's routes to the backends. The realtime
# socket is a path on the same origin.
ARG PUBLIC_URL=http://localhost:8080
# Loading rxconfig needs a database URL and, in production, a signing key, but
# the export connects to nothing and the bundle carries neither: the URL names
# an unresolvable host (.invalid) and the key is random and thrown away.
RUN APP_ENV=production \
    API_URL="$PUBLIC_URL" \
    REALTIME_URL=/realtime \
    DATABASE_URL=postgresql://export.invalid/unused \
    JWT_SECRET="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    reflex export --frontend-only --no-zip \
 && test -f .web/build/client/index.html

# --- the app image: backends, migrate, realtime -------------------------------
FROM ${PYTHON_IMAGE} AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    APP_ENV=production \
    UPLOAD_DIR=/data/uploads
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
      --shell /usr/sbin/nologin app
COPY --from=python-deps /opt/venv /opt/venv
WORKDIR /app
# The code stays root-owned (read-only to the app); Reflex writes only its
# working folders (.web, .states, its own upload folder), created here for it.
# /data/uploads is the shared uploads volume, which takes this owner on first use.
COPY rxconfig.py alembic.ini ./
COPY alembic/ alembic/
COPY assets/ assets/
COPY chat_app/ chat_app/
RUN mkdir -p .web .states uploaded_files /data/uploads \
 && chown app:app .web .states uploaded_files /data/uploads
USER 10001:10001
EXPOSE 8000 8001
# One image, three commands (docker-compose.yml sets each): this backend by
# default, `alembic upgrade head` for the migrate job, and
# `python -m chat_app.realtime` for a realtime instance.
CMD ["reflex", "run", "--env", "prod", "--backend-only", "--backend-host", "0.0.0.0", "--backend-port", "8000"]

# --- Caddy: the one public origin ---------------------------------------------
FROM ${CADDY_IMAGE} AS caddy
COPY Caddyfile /etc/caddy/Caddyfile
COPY --from=frontend /build/.web/build/client /srv
# Not root either: the binary may still bind port 80 (the image gives it that
# capability). Caddy's own state goes to folders this user owns, outside the
# base image's /data and /config volumes.
RUN addgroup -S -g 10001 caddy \
 && adduser -S -D -H -u 10001 -G caddy caddy \
 && mkdir -p /var/lib/caddy/data /var/lib/caddy/config \
 && chown -R caddy:caddy /var/lib/caddy
ENV XDG_DATA_HOME=/var/lib/caddy/data \
    XDG_CONFIG_HOME=/var/lib/caddy/config
USER 10001:10001
EXPOSE 80
