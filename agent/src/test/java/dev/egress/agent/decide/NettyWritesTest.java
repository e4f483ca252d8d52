package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.bootstrap.EgressConnectException;
import dev.egress.bootstrap.HookCalls;
import dev.egress.policy.CidrSet;
import dev.egress.policy.ModeOverride;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.PolicyParser;
import dev.egress.policy.Selection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import shaded.io.netty.handler.codec.http.LastHttpContent;
import shaded.io.netty.util.ReferenceCounted;

/**
 * The hook at the entry of Netty's {@code HttpObjectEncoder.write}, through the bridge's logic
 * ({@link HookCalls#httpWrite}) as the instrumented encoder reaches it, with stand-ins for Netty's
 * (here shaded) message types: a denied path-style request and the content after it never reach the
 * encoder, are released, and fail with the agent's message; other encoders and later requests are
 * untouched; in dry run the request is recorded once, also when the encoder's fallback hook ({@code
 * encodeInitialLine}) sees it too.
 */
class NettyWritesTest {
  private static final String POLICY =
      """
      { "account_id": "acct",
        "network_policies": [
          { "network_policy_id": "default-policy",
            "egress": { "network_access": {
              "restriction_mode": "RESTRICTED_ACCESS",
              "allowed_storage_destinations": [
                { "bucket_name": "raw-events", "region": "us-west-2", "storage_destination_type": "AWS_S3" } ] } } } ] }
      """;

  private final List<Denial> records = new ArrayList<>();
  private final PolicyHolder holder = new PolicyHolder(1_000);
  private final Gate gate =
      new Gate(holder, new AddressBook(), new CallerFinder(List.of(), List.of()));
  private final Object encoder = new Object();

  private void start(ModeOverride mode) throws Exception {
    holder.set(
        PolicyEngine.compile(PolicyParser.parse(POLICY))
            .select(new Selection(null, null, mode, CidrSet.EMPTY, null)));
    gate.wire(new Wiring(CidrSet.parse(List.of("127.0.0.1/32")), records::add, List.of(), null));
  }

  @Test
  void aDeniedRequestAndItsContentNeverReachTheEncoder() throws Exception {
    start(ModeOverride.ENFORCE);
    Request request = new Request("/other-bucket/key");
    EgressConnectException denied =
        assertThrows(
            EgressConnectException.class, () -> HookCalls.httpWrite(gate, encoder, request));
    assertTrue(denied.getMessage().startsWith("Egress denied"), denied.getMessage());
    assertTrue(denied.getMessage().contains("storage-not-allowed"), denied.getMessage());
    assertEquals(
        0, request.refCnt, "released: the encoder that would have released it never sees it");
    assertEquals(1, records.size());

    Content body = new Content();
    EgressConnectException onBody =
        assertThrows(EgressConnectException.class, () -> HookCalls.httpWrite(gate, encoder, body));
    assertEquals(denied.getMessage(), onBody.getMessage());
    assertEquals(0, body.refCnt);
    LastContent last = new LastContent();
    assertThrows(EgressConnectException.class, () -> HookCalls.httpWrite(gate, encoder, last));
    assertEquals(0, last.refCnt);
    assertEquals(1, records.size(), "one request, one record");

    // The denied request is over with its last content: the encoder is the encoder again.
    Content next = new Content();
    HookCalls.httpWrite(gate, encoder, next);
    assertEquals(1, next.refCnt, "not ours: the encoder releases what it encodes");
  }

  @Test
  void otherEncodersAndTheNextAllowedRequestAreUntouched() throws Exception {
    start(ModeOverride.ENFORCE);
    assertThrows(
        EgressConnectException.class,
        () -> HookCalls.httpWrite(gate, encoder, new Request("/other-bucket/key")));
    Content elsewhere = new Content();
    HookCalls.httpWrite(gate, new Object(), elsewhere);
    assertEquals(1, elsewhere.refCnt);

    Request allowed = new Request("/raw-events/key");
    HookCalls.httpWrite(gate, encoder, allowed); // a new request on this encoder: the mark is gone
    HookCalls.httpRequest(gate, allowed); // the fallback hook in the encoder: already judged
    Content body = new Content();
    HookCalls.httpWrite(gate, encoder, body);
    assertEquals(1, body.refCnt);
    assertEquals(1, allowed.refCnt);
    assertEquals(1, records.size());
  }

  @Test
  void aDeniedFullRequestLeavesNothingBehind() throws Exception {
    start(ModeOverride.ENFORCE);
    FullRequest full = new FullRequest("/other-bucket/key");
    assertThrows(EgressConnectException.class, () -> HookCalls.httpWrite(gate, encoder, full));
    assertEquals(0, full.refCnt);
    Content after = new Content();
    HookCalls.httpWrite(gate, encoder, after); // the full request was complete: nothing follows it
    assertEquals(1, after.refCnt);
  }

  @Test
  void dryRunLetsTheRequestThroughAndRecordsItOnce() throws Exception {
    start(ModeOverride.DRY_RUN);
    Request request = new Request("/other-bucket/key");
    HookCalls.httpWrite(gate, encoder, request);
    HookCalls.httpRequest(gate, request); // encodeInitialLine, inside the same write
    Content body = new Content();
    HookCalls.httpWrite(gate, encoder, body);
    assertEquals(1, request.refCnt);
    assertEquals(1, body.refCnt);
    assertEquals(1, records.size(), "one request, one record");

    // Where the encoder has no write of its own, the fallback hook still judges the request.
    HookCalls.httpRequest(gate, new Request("/other-bucket/key2"));
    assertEquals(2, records.size());
  }

  /** Stands for a Netty HttpRequest: the agent reads uri() and headers().get("Host"). */
  public static class Request implements ReferenceCounted {
    private final String uri;
    int refCnt = 1;

    Request(String uri) {
      this.uri = uri;
    }

    public String uri() {
      return uri;
    }

    public Headers headers() {
      return new Headers();
    }

    @Override
    public boolean release() {
      refCnt--;
      return refCnt == 0;
    }
  }

  /** A request with its content: Netty's FullHttpRequest is also a LastHttpContent. */
  public static final class FullRequest extends Request implements LastHttpContent {
    FullRequest(String uri) {
      super(uri);
    }
  }

  public static final class Headers {
    public String get(String name) {
      return name.equalsIgnoreCase("Host") ? "s3.us-west-2.amazonaws.com" : null;
    }
  }

  public static class Content implements ReferenceCounted {
    int refCnt = 1;

    @Override
    public boolean release() {
      refCnt--;
      return refCnt == 0;
    }
  }

  public static final class LastContent extends Content implements LastHttpContent {}
}
