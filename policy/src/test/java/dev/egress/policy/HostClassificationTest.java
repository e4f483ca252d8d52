package dev.egress.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostClassificationTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      example.com | example.com
      Example.COM | example.com
      example.com. | example.com
      bücher.example | xn--bcher-kva.example
      ＥＸＡＭＰＬＥ．com | example.com
      a_b.example.com | a_b.example.com
      """)
  void canonicalNames(String in, String out) {
    assertEquals(out, HostNames.canonical(in));
  }

  @Test
  void canonicalNameIsReturnedWithoutCopy() {
    String s = "already.canonical.example";
    assertTrue(s == HostNames.canonical(s));
  }

  @Test
  void invalidNames() {
    assertNull(HostNames.canonical(""));
    assertNull(HostNames.canonical("."));
    assertNull(HostNames.canonical("a..b"));
    assertNull(HostNames.canonical("a.b.."));
    assertNull(HostNames.canonical("bad host"));
    assertNull(HostNames.canonical("x".repeat(64) + ".com"));
    assertNull(HostNames.canonical(("a".repeat(50) + ".").repeat(6))); // 306 chars
    assertNull(HostNames.canonical("a".repeat(300)));
    assertEquals(253, HostNames.sanitize("a\u0000".repeat(200)).length());
    assertEquals("a?b", HostNames.sanitize("a\nb"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      lakeprod.dfs.core.windows.net | AZURE_STORAGE | lakeprod | dfs |
      lakeprod.blob.core.windows.net | AZURE_STORAGE | lakeprod | blob |
      acct.queue.core.windows.net | AZURE_STORAGE | acct | queue |
      acct.table.core.windows.net | AZURE_STORAGE | acct | table |
      acct.file.core.windows.net | AZURE_STORAGE | acct | file |
      acct.web.core.windows.net | AZURE_STORAGE | acct | web |
      acct.privatelink.dfs.core.windows.net | AZURE_STORAGE | acct | dfs |
      acct-secondary.blob.core.windows.net | AZURE_STORAGE | acct | blob |
      acct.blob.core.chinacloudapi.cn | AZURE_STORAGE | acct | blob |
      acct.dfs.core.usgovcloudapi.net | AZURE_STORAGE | acct | dfs |
      acct.blob.core.cloudapi.de | AZURE_STORAGE | acct | blob |
      acct.z12.blob.storage.azure.net | AZURE_STORAGE | acct | blob |
      my.bucket.s3.amazonaws.com | AWS_S3 | my.bucket | |
      bkt.s3.us-west-2.amazonaws.com | AWS_S3 | bkt | | us-west-2
      bkt.s3-us-west-2.amazonaws.com | AWS_S3 | bkt | | us-west-2
      bkt.s3.dualstack.eu-west-1.amazonaws.com | AWS_S3 | bkt | | eu-west-1
      s3.amazonaws.com | AWS_S3 | | |
      s3.us-east-1.amazonaws.com | AWS_S3 | | | us-east-1
      s3-us-east-1.amazonaws.com | AWS_S3 | | | us-east-1
      s3.dualstack.us-east-1.amazonaws.com | AWS_S3 | | | us-east-1
      ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com | AWS_S3 | ap-123456789012 | | us-west-2
      bkt.s3.cn-north-1.amazonaws.com.cn | AWS_S3 | bkt | | cn-north-1
      ml-models.storage.googleapis.com | GOOGLE_CLOUD_STORAGE | ml-models | |
      storage.googleapis.com | GOOGLE_CLOUD_STORAGE | | |
      """)
  void storageHosts(
      String host, StorageType type, String accountOrBucket, String service, String region) {
    StorageHost h = StorageHosts.classify(host);
    assertEquals(type, h.provider(), host);
    assertEquals(accountOrBucket, h.accountOrBucket(), host);
    assertEquals(service, h.service(), host);
    assertEquals(region, h.region(), host);
    assertEquals(accountOrBucket == null, h.pathStyle());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "core.windows.net",
        "blob.core.windows.net",
        "acct.vault.core.windows.net",
        "sts.amazonaws.com",
        "ec2.us-west-2.amazonaws.com",
        "s3-control.us-west-2.amazonaws.com",
        "www.googleapis.com",
        "example.com",
        "s3.example.com",
        "googleapis.com"
      })
  void notStorage(String host) {
    assertNull(StorageHosts.classify(host));
  }

  @Test
  void storageLocations() {
    assertEquals(
        "abfss://lakeprod.dfs.core.windows.net",
        StorageHosts.classify("lakeprod.dfs.core.windows.net").location());
    assertEquals(
        "s3://raw-events",
        StorageHosts.classify("raw-events.s3.us-west-2.amazonaws.com").location());
    assertEquals(
        "s3://s3.us-west-2.amazonaws.com",
        StorageHosts.classify("s3.us-west-2.amazonaws.com").location());
    assertEquals(
        "gs://ml-models", StorageHosts.classify("ml-models.storage.googleapis.com").location());
  }

  @Test
  void inet4HashCodeIsTheAddressOnThisJdk() throws Exception {
    // IpLiterals.v4Bits relies on it to avoid cloning the address array on every connect.
    for (String a :
        List.of("1.2.3.4", "169.254.169.254", "255.255.255.255", "0.0.0.0", "10.0.0.1")) {
      Inet4Address addr = (Inet4Address) InetAddress.getByName(a);
      assertEquals(IpLiterals.bits(addr.getAddress(), 0), IpLiterals.v4Bits(addr), a);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "169.254.169.254",
        "169.254.169.253",
        "169.254.169.123",
        "169.254.170.2",
        "169.254.170.23",
        "168.63.129.16",
        "100.100.100.200",
        "fd00:ec2::254",
        "fd00:ec2::253",
        "fd00:ec2::23",
        "::169.254.169.254",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::168.63.129.16",
        "2002:a9fe:a9fe::",
        "2002:a9fe:a9fe:1234::1",
        "::ffff:100.100.100.200",
        "::a9fe:aa02"
      })
  void metadataAddressesInEveryForm(String literal) throws Exception {
    assertTrue(MetadataEndpoints.isMetadataAddress(InetAddress.getByName(literal)), literal);
    assertTrue(MetadataEndpoints.isMetadataName(literal), literal);
  }

  @Test
  void ipv4MappedBuiltByHandStaysInet6AndIsStillCaught() throws Exception {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    b[12] = (byte) 169;
    b[13] = (byte) 254;
    b[14] = (byte) 169;
    b[15] = (byte) 254;
    InetAddress a = java.net.Inet6Address.getByAddress(null, b, -1);
    assertTrue(MetadataEndpoints.isMetadataAddress(a));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "2852039166",
        "169.254.43518",
        "0xa9fea9fe",
        "0251.0376.0251.0376",
        "[fd00:ec2::254]"
      })
  void metadataNames(String name) {
    assertTrue(MetadataEndpoints.isMetadataName(name), name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "169.254.169.1",
        "fd00:ec2::1",
        "10.0.0.1",
        "::1",
        "2002:0a00:0001::",
        "64:ff9b::a00:1"
      })
  void notMetadataAddresses(String literal) throws Exception {
    assertFalse(MetadataEndpoints.isMetadataAddress(InetAddress.getByName(literal)), literal);
  }

  @Test
  void notMetadataNames() {
    assertFalse(MetadataEndpoints.isMetadataName("metadata.example.com"));
    assertFalse(MetadataEndpoints.isMetadataName("1password.com"));
    assertFalse(MetadataEndpoints.isMetadataName("169.254.169.254.nip.io"));
  }

  @Test
  void cidrSets() throws Exception {
    CidrSet s =
        CidrSet.parse(
            List.of(
                "10.0.0.0/8",
                "192.168.1.7",
                "fd12:3456::/32",
                "::1/128",
                "0.0.0.0/0".substring(0, 0) + "172.16.0.0/12"));
    assertTrue(s.contains(InetAddress.getByName("10.255.0.1")));
    assertFalse(s.contains(InetAddress.getByName("11.0.0.1")));
    assertTrue(s.contains(InetAddress.getByName("192.168.1.7")));
    assertFalse(s.contains(InetAddress.getByName("192.168.1.8")));
    assertTrue(s.contains(InetAddress.getByName("172.31.255.255")));
    assertTrue(s.contains(InetAddress.getByName("fd12:3456:ffff::1")));
    assertFalse(s.contains(InetAddress.getByName("fd12:3457::1")));
    assertTrue(s.contains(InetAddress.getByName("::1")));
    assertFalse(s.contains(InetAddress.getByName("::2")));
    assertTrue(CidrSet.parse(List.of("0.0.0.0/0")).contains(InetAddress.getByName("8.8.8.8")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CidrSet.parse(List.of("10.0.0.0/8", "10.0.0/8")));
    assertTrue(e.getMessage().contains("10.0.0/8"));
    assertThrows(IllegalArgumentException.class, () -> CidrSet.parse(List.of("10.0.0.0/33")));
    assertThrows(IllegalArgumentException.class, () -> CidrSet.parse(List.of("example.com/8")));
    assertThrows(IllegalArgumentException.class, () -> CidrSet.parse(List.of("::1/129")));
  }
}
