using System.Data.Common;

namespace CreditLedger.Storage;

/// <summary>
/// A data source that can be handed out before the database is known and works once it is: the Orleans
/// providers take their data source when the host is built, while the embedded cluster starts only when
/// the host starts.
/// </summary>
internal sealed class DeferredDataSource(Func<DbDataSource> resolve) : DbDataSource
{
    public override string ConnectionString => resolve().ConnectionString;

    protected override DbConnection CreateDbConnection() => resolve().CreateConnection();
}
