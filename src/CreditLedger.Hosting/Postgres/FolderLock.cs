namespace CreditLedger.Hosting.Postgres;

/// <summary>
/// An exclusive lock between processes on this machine, held as an open lock file. The operating system
/// releases it when the holder exits, even when it is killed.
/// </summary>
internal sealed class FolderLock : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly FileStream _stream;

    private FolderLock(FileStream stream) => _stream = stream;

    public static async Task<FolderLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new FolderLock(stream);
            }
            catch (IOException) when (waited.Elapsed < Timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
