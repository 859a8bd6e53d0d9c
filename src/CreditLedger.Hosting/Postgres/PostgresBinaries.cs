namespace CreditLedger.Hosting.Postgres;

/// <summary>The PostgreSQL server programs the embedded cluster runs.</summary>
public sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>
    /// Finds the server programs: in <paramref name="binDirectory"/> when given, else in the newest
    /// <c>/usr/lib/postgresql/N/bin</c>, else on the PATH.
    /// </summary>
    /// <exception cref="PostgresNotFoundException">No usable folder holds both programs.</exception>
    public static PostgresBinaries Locate(string? binDirectory)
    {
        if (!string.IsNullOrWhiteSpace(binDirectory))
        {
            return FromDirectory(binDirectory)
                ?? throw new PostgresNotFoundException(
                    $"CreditLedger:Postgres:BinDirectory is '{binDirectory}', but initdb and pg_ctl are not both there.");
        }

        foreach (var candidate in DebianBinDirectories())
        {
            if (FromDirectory(candidate) is { } found)
            {
                return found;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (FromDirectory(directory) is { } found)
            {
                return found;
            }
        }

        throw new PostgresNotFoundException(
            "No PostgreSQL server binaries were found (initdb and pg_ctl in /usr/lib/postgresql/*/bin or on the PATH). " +
            "Install PostgreSQL 15 or later (e.g. 'apt-get install postgresql'), set CreditLedger:Postgres:BinDirectory " +
            "to the folder holding them, or set ConnectionStrings:Ledger to use an existing server.");
    }

    private static IEnumerable<string> DebianBinDirectories()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return [];
        }

        return Directory.GetDirectories(DebianRoot)
            .Select(d => (Directory: d, Version: decimal.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(d => d.Version >= 0)
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"));
    }

    private static PostgresBinaries? FromDirectory(string directory)
    {
        var initDb = Path.Combine(directory, "initdb");
        var pgCtl = Path.Combine(directory, "pg_ctl");
        return File.Exists(initDb) && File.Exists(pgCtl) ? new PostgresBinaries(initDb, pgCtl) : null;
    }
}
