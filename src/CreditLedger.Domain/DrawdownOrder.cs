namespace CreditLedger.Domain;

/// <summary>
/// The order grants are drawn down in. A total order, so applies are deterministic: priority ascending;
/// then <c>expiresAt</c> ascending, never-expiring last ("credits expiring soonest are applied first");
/// then promotional before paid; then <c>effectiveAt</c> ascending; then creation order.
/// </summary>
public sealed class DrawdownOrder : IComparer<Grant>
{
    /// <summary>The one instance.</summary>
    public static readonly DrawdownOrder Instance = new();

    private DrawdownOrder()
    {
    }

    /// <inheritdoc />
    public int Compare(Grant? x, Grant? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);

        var byPriority = x.Terms.Priority.CompareTo(y.Terms.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byExpiry = (x.Terms.ExpiresAt, y.Terms.ExpiresAt) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (a, b) => a.Value.CompareTo(b.Value),
        };
        if (byExpiry != 0)
        {
            return byExpiry;
        }

        var byCategory = CategoryRank(x.Terms.Category).CompareTo(CategoryRank(y.Terms.Category));
        if (byCategory != 0)
        {
            return byCategory;
        }

        var byEffective = x.Terms.EffectiveAt.CompareTo(y.Terms.EffectiveAt);
        return byEffective != 0 ? byEffective : x.CreatedVersion.CompareTo(y.CreatedVersion);
    }

    private static int CategoryRank(GrantCategory category) => category == GrantCategory.Promotional ? 0 : 1;
}
