using Infra.Gradients.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGradientServices();
var app = builder.Build();
app.MapGradientServices();
app.Run();

/// <summary>Entry point; public so functional tests can host it.</summary>
public partial class Program;
