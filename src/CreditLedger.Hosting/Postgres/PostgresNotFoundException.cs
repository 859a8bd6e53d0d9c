namespace CreditLedger.Hosting.Postgres;

/// <summary>The embedded cluster cannot start because no PostgreSQL server binaries were found.</summary>
public sealed class PostgresNotFoundException : Exception
{
    public PostgresNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresNotFoundException()
    {
    }

    public PostgresNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
