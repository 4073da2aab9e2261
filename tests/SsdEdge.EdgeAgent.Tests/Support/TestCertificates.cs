using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// A throwaway certificate authority and a broker certificate for 127.0.0.1 and localhost that it
/// signed, written as PEM files, plus a second authority that signed nothing.
/// </summary>
public sealed record TestCertificates(string AuthorityFile, string OtherAuthorityFile, string ServerCertificateFile, string ServerKeyFile)
{
    /// <summary>Creates the files in <paramref name="folder"/>.</summary>
    public static TestCertificates Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var authorityKey = RSA.Create(2048);
        using var authority = CreateAuthority(authorityKey, "CN=ssdedge test authority");
        using var otherKey = RSA.Create(2048);
        using var other = CreateAuthority(otherKey, "CN=ssdedge unrelated authority");

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var server = request.Create(authority, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4]);

        var files = new TestCertificates(
            Path.Combine(folder, "ca.pem"),
            Path.Combine(folder, "other-ca.pem"),
            Path.Combine(folder, "server.pem"),
            Path.Combine(folder, "server.key"));
        File.WriteAllText(files.AuthorityFile, authority.ExportCertificatePem());
        File.WriteAllText(files.OtherAuthorityFile, other.ExportCertificatePem());
        File.WriteAllText(files.ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(files.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    private static X509Certificate2 CreateAuthority(RSA key, string subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-10), now.AddDays(2));
    }
}
