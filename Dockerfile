# One image recipe for both connectors, on Airbyte's Python connector base image (the same base that
# metadata.yaml names in connectorBuildOptions.baseImage; unit_tests/packaging checks they agree).
#
#   docker build -t airbyte/source-zoho-crm:dev .
#   docker build --build-arg CONNECTOR=destination -t airbyte/destination-zoho-crm:dev .
#
# The base image 4.0.x runs Python 3.11, inside the range pyproject.toml allows.
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73
ARG CONNECTOR=source

FROM ${BASE_IMAGE} AS build
WORKDIR /airbyte/integration_code
COPY pyproject.toml README.md ./
COPY source_zoho_crm ./source_zoho_crm
COPY destination_zoho_crm ./destination_zoho_crm
COPY zoho_crm_client ./zoho_crm_client
COPY zoho_crm_airbyte ./zoho_crm_airbyte
COPY zoho_crm_emulator ./zoho_crm_emulator
RUN pip install --no-cache-dir . && rm -rf build *.egg-info

# Airbyte runs the image with the command as arguments (spec, check, discover, read, write) and reads
# AIRBYTE_ENTRYPOINT to learn how to call the connector itself.
FROM build AS source
ENV AIRBYTE_ENTRYPOINT="source-zoho-crm"
LABEL io.airbyte.name=airbyte/source-zoho-crm
LABEL io.airbyte.version=1.0.0
ENTRYPOINT ["source-zoho-crm"]

FROM build AS destination
ENV AIRBYTE_ENTRYPOINT="destination-zoho-crm"
LABEL io.airbyte.name=airbyte/destination-zoho-crm
LABEL io.airbyte.version=1.0.0
ENTRYPOINT ["destination-zoho-crm"]

# The build argument picks the final stage; `--target source|destination` does the same.
FROM ${CONNECTOR}
USER airbyte
