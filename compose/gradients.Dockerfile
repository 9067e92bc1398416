# The GradientService (Infra.Gradients). Build context: the repository root (see compose/docker-compose.yml).
# Multi-stage: the .NET 10 SDK publishes, the ASP.NET Core runtime (Ubuntu 24.04) runs as the non-root 'app' user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# cpu (default) or cuda: Directory.Build.props' InfraTorchBackend switch picks the libtorch package.
ARG INFRA_TORCH_BACKEND=cpu
WORKDIR /src
# What every project build reads first, then the sources (restore is cached while only sources change).
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY eng/ eng/
COPY protos/ protos/
COPY services/ services/
RUN dotnet publish services/Infra.Gradients/Infra.Gradients.csproj -c Release -o /app -p:InfraTorchBackend=${INFRA_TORCH_BACKEND}

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Persisted EK-FAC factors' mount point, owned by the runtime user so a fresh named volume is writable.
# (Ubuntu 24.04's libstdc++ has GLIBCXX_3.4.32: eng/WeakenGlibcxxNeed.targets' Debian 12 fix is a no-op here.)
RUN mkdir -p /data/factors && chown app:app /data/factors
USER app
# Plain-text HTTP/2 on 8080 (appsettings.json sets Kestrel's EndpointDefaults to Http2).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 CMD ["dotnet", "Infra.Gradients.dll", "--health-probe", "http://127.0.0.1:8080"]
ENTRYPOINT ["dotnet", "Infra.Gradients.dll"]
