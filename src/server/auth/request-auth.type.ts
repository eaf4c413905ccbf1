import type { ApiKeyRoleValue } from '../../store';

/** Who a request acts as: the active API key it carried. */
export interface RequestAuth {
  /** The key's name, for logs and error details. */
  keyName: string;
  role: ApiKeyRoleValue;
  /** True for this server start's local admin token (loopback only): the CLI beside a server that holds PGlite. */
  isLocal?: boolean;
}
