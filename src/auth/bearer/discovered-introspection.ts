import {
  IntrospectionUnavailableError,
  IntrospectionVerifier,
  type AuthPrincipal,
  type BearerTokenVerifier,
  type IntrospectionVerifierOptions,
  type ProviderMetadata,
} from '../token';
import { BuiltFromDiscovery } from './built-from-discovery';

/**
 * RFC 7662 introspection whose endpoint is learnt from discovery on first use,
 * like `DiscoveredKeySource`; a realm without an introspection endpoint, or an
 * unreachable Keycloak, is a 503, never a pass.
 */
export class DiscoveredIntrospection implements BearerTokenVerifier {
  private readonly verifier: BuiltFromDiscovery<IntrospectionVerifier>;

  constructor(discover: () => Promise<ProviderMetadata>, options: Omit<IntrospectionVerifierOptions, 'introspectionEndpoint'>) {
    this.verifier = new BuiltFromDiscovery(
      discover,
      (metadata) =>
        metadata.introspection_endpoint
          ? new IntrospectionVerifier({ ...options, introspectionEndpoint: metadata.introspection_endpoint })
          : undefined,
      () => new IntrospectionUnavailableError(),
    );
  }

  verify(token: string): Promise<AuthPrincipal> {
    const verifier = this.verifier.current;
    return verifier ? verifier.verify(token) : this.verifier.get().then((built) => built.verify(token));
  }
}
