// Every test runs offline: any real network call fails loudly instead of leaking out.
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
