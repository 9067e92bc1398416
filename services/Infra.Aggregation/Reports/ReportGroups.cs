namespace Infra.Aggregation.Reports;

/// <summary>How the report names a grouping's columns and cells, so the default grouping keeps its headings.</summary>
internal static class ReportGroups
{
    /// <summary>The group column's heading: "training domain" for "domain", else the column's name.</summary>
    public static string GroupHeading(ReportModel model) => Heading(model.Run.GroupBy.Count > 0 ? model.Run.GroupBy[0] : "domain");

    /// <summary>The subgroup column's heading: "difficulty", the column's name, or "" with one column.</summary>
    public static string SubgroupHeading(ReportModel model) => model.Run.GroupBy.Count > 1 ? Heading(model.Run.GroupBy[1]) : "";

    /// <summary>A cell as a short column label: "math d3" under the default grouping, "math / interview" otherwise, "math" with one column.</summary>
    public static string Label(ReportModel model, string group, string subgroup) =>
        subgroup.Length == 0 ? group
        : IsDefault(model) ? $"{group} d{subgroup}"
        : $"{group} / {subgroup}";

    /// <summary>A cell in a sentence: "math training examples of difficulty 3", "examples with source = gsm8k and level = 2".</summary>
    public static string Sentence(ReportModel model, string group, string subgroup)
    {
        if (IsDefault(model)) return $"{group} training examples of difficulty {subgroup}";
        var columns = model.Run.GroupBy;
        return subgroup.Length == 0 || columns.Count < 2
            ? $"examples with {columns[0]} = {group}"
            : $"examples with {columns[0]} = {group} and {columns[1]} = {subgroup}";
    }

    private static bool IsDefault(ReportModel model) => model.Run.GroupBy is ["domain", "difficulty"];

    private static string Heading(string column) => column == "domain" ? "training domain" : column.Replace('_', ' ');
}
