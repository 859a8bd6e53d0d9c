using System.Globalization;
using System.Text.RegularExpressions;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>The samples of a Prometheus text exposition: one per line that is not a comment.</summary>
internal sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public static IReadOnlyList<PrometheusSample> Parse(string text) =>
        text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => Line().Match(line))
            .Where(match => match.Success)
            .Select(match => new PrometheusSample(
                match.Groups["name"].Value,
                Label().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
                double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex Line();

    [GeneratedRegex(""""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex Label();
}
