# The explorer's API, for docker compose (with Neo4j) or on its own (embedded store).
# The first stage builds the wheel, which carries the named queries (cypher/), the seed (seed/),
# the static files and the templates; the image installs that wheel, not the source tree.
# tests/test_wheel.py builds and runs a wheel from exactly the files copied here.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY app ./app
COPY cypher ./cypher
COPY seed ./seed
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.lock /tmp/requirements.lock
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir -c /tmp/requirements.lock /tmp/wheels/*.whl && rm -rf /tmp/wheels /tmp/requirements.lock
# The embedded store's default folder is data/graph under the working directory.
RUN useradd --create-home lifeact && mkdir -p /srv/lifeact/data && chown lifeact /srv/lifeact/data
WORKDIR /srv/lifeact
USER lifeact
EXPOSE 8000
CMD ["lifeact", "serve", "--host", "0.0.0.0", "--port", "8000"]
