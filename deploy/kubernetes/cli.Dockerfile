# The `infra` CLI for the indexing Job (deploy/kubernetes/base/index-job.yaml). Build context: the
# repository root: docker build -f deploy/kubernetes/cli.Dockerfile -t infra/cli:latest .
# Multi-stage like compose/*.Dockerfile; the published apphost `infra` is on PATH.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY eng/ eng/
COPY protos/ protos/
COPY services/ services/
RUN dotnet publish services/Infra.Cli/Infra.Cli.csproj -c Release -o /app -p:InfraTorchBackend=cpu

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
USER app
ENV PATH="/app:${PATH}"
ENTRYPOINT ["infra"]
