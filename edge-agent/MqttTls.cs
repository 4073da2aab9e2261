using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// TLS settings of the agent's MQTT clients, the sample source and the publisher: the broker's
/// certificate is checked against the system's trusted roots, or against a certificate
/// authority file for a broker with a private authority.
/// </summary>
public static class MqttTls
{
    /// <summary>Turns TLS on in <paramref name="tls"/> and sets how the broker's certificate is checked.</summary>
    /// <param name="tls">Options builder of the client.</param>
    /// <param name="host">Broker host, which the certificate must name.</param>
    /// <param name="caFile">PEM or DER file of the authorities to trust; empty for the system's roots.</param>
    /// <param name="allowUntrusted">Whether any certificate is accepted; for tests only.</param>
    public static void Configure(MqttClientTlsOptionsBuilder tls, string host, string caFile, bool allowUntrusted)
    {
        ArgumentNullException.ThrowIfNull(tls);
        tls.UseTls().WithTargetHost(host);
        if (allowUntrusted)
        {
            tls.WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => true);
            return;
        }

        if (string.IsNullOrWhiteSpace(caFile))
        {
            return;
        }

        var authorities = LoadCertificates(caFile);
        tls.WithCertificateValidationHandler(arguments =>
        {
            if (arguments.Certificate is null)
            {
                return false;
            }

            // Only chain errors are re-checked against the configured authorities. A certificate
            // that names another host stays rejected.
            if ((arguments.SslPolicyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var certificate = new X509Certificate2(arguments.Certificate);
            return chain.Build(certificate);
        });
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPem(text);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return collection;
    }
}
