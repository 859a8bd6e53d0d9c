using System.Net.Sockets;
using CreditLedger.Gateway.Api;
using CreditLedger.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// A grain that cannot read its snapshot while PostgreSQL is down fails with Orleans' error around an NpgsqlException;
/// that answer must cross from the silo to a gateway process and be answered 503 (retry), not 500. Round-trips such an
/// exception through Orleans' serializer configured as the engine configures silos and clients.
/// </summary>
public sealed class StorageExceptionTransportTests
{
    [Fact]
    public void OrleansErrorAroundNpgsqlException_CrossesTheWire_AndMapsToUnavailable()
    {
        using var services = new ServiceCollection().AddSerializer().AddStorageExceptionTransport().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        Exception failure = new OrleansException(
            "Error from storage provider during ReadStateAsync",
            new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray(failure));

        Assert.IsType<OrleansException>(received);
        Assert.IsType<NpgsqlException>(received.InnerException);
        Assert.True(ApiEndpoints.IsUnavailable(received));
    }

    [Fact]
    public void IsUnavailable_SiloRefusesTheGatewaysConnection_Is()
    {
        // What a gateway gets when the silo it sends to was killed a moment ago (seen as a 500 in a fault test).
        var failure = new Orleans.Runtime.Messaging.ConnectionFailedException(
            "Unable to connect to endpoint S127.0.0.1:11111:0.", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(ApiEndpoints.IsUnavailable(failure));
    }

    [Fact]
    public void IsUnavailable_ProgrammingError_IsNot()
    {
        Assert.False(ApiEndpoints.IsUnavailable(new OrleansException("Grain code failed", new InvalidOperationException("A bug"))));
    }
}
