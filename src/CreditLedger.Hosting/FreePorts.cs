using System.Net;
using System.Net.Sockets;

namespace CreditLedger.Hosting;

/// <summary>Free TCP ports (free on every interface) for a process whose ports are not configured.</summary>
public static class FreePorts
{
    /// <summary>Returns <paramref name="configured"/>, or a port free right now when it is 0.</summary>
    public static int OrFree(int configured)
    {
        if (configured > 0)
        {
            return configured;
        }

        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
