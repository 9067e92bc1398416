using System.Xml.Linq;

namespace Infra.Aggregation.Reports;

/// <summary>A chart of the report with its file stem.</summary>
internal sealed record NamedChart(string Name, XElement Svg);
