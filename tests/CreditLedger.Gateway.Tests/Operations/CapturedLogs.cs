using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>A logger provider that keeps every entry at every level, with its state and the scopes around it.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>One entry: everything a provider could write out, as text.</summary>
    public sealed record Entry(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<KeyValuePair<string, string?>> State, IReadOnlyList<KeyValuePair<string, string?>> Scopes)
    {
        public string ScopeValue(string key) => Scopes.LastOrDefault(s => s.Key == key).Value ?? string.Empty;

        public bool Mentions(string text) =>
            Message.Contains(text, StringComparison.Ordinal)
            || (Exception?.Contains(text, StringComparison.Ordinal) ?? false)
            || State.Concat(Scopes).Any(pair => pair.Key.Contains(text, StringComparison.Ordinal) || (pair.Value?.Contains(text, StringComparison.Ordinal) ?? false));
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<KeyValuePair<string, string?>>();
            owner._scopes.ForEachScope((scope, list) => list.AddRange(Pairs(scope)), scopes);
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception?.ToString(), Pairs(state).ToList(), scopes));
        }

        private static IEnumerable<KeyValuePair<string, string?>> Pairs(object? value) =>
            value is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(pair => new KeyValuePair<string, string?>(pair.Key, Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture)))
                : [new KeyValuePair<string, string?>(string.Empty, value?.ToString())];
    }
}
