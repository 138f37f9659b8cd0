import {
  IntrospectionUnavailableError,
  IntrospectionVerifier,
  type AuthPrincipal,
  type BearerTokenVerifier,
  type IntrospectionVerifierOptions,
  type ProviderMetadata,
} from '../token';

/**
 * RFC 7662 introspection whose endpoint is learnt from discovery on first use,
 * like `DiscoveredKeySource`; a realm without an introspection endpoint, or an
 * unreachable Keycloak, is a 503, never a pass.
 */
export class DiscoveredIntrospection implements BearerTokenVerifier {
  private verifier?: IntrospectionVerifier;

  constructor(
    private readonly discover: () => Promise<ProviderMetadata>,
    private readonly options: Omit<IntrospectionVerifierOptions, 'introspectionEndpoint'>,
  ) {}

  verify(token: string): Promise<AuthPrincipal> {
    return this.verifier ? this.verifier.verify(token) : this.initialise().then((verifier) => verifier.verify(token));
  }

  private async initialise(): Promise<IntrospectionVerifier> {
    let endpoint: string | undefined;
    try {
      endpoint = (await this.discover()).introspection_endpoint;
    } catch {
      throw new IntrospectionUnavailableError();
    }
    if (!endpoint) throw new IntrospectionUnavailableError();
    this.verifier ??= new IntrospectionVerifier({ ...this.options, introspectionEndpoint: endpoint });
    return this.verifier;
  }
}
