import type { ServerResponse } from 'node:http';

// STS as the SDKs speak it (the awsQuery protocol): a form-encoded POST with
// `Action=GetCallerIdentity&Version=2011-06-15`, answered in XML. The emulator serves only
// GetCallerIdentity, which is what a store needs to learn whether it runs in the management
// account or in a delegated administrator account.

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A request is STS's when it is form-encoded: every JSON 1.1 call carries X-Amz-Target and a JSON body. */
export const isQueryRequest = (contentType: string | undefined): boolean =>
  (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** The identity of the caller in `account`: an assumed role, as a CI runner's credentials are. */
export function callerIdentityIn(account: string): CallerIdentity {
  return {
    account,
    arn: `arn:aws:sts::${account}:assumed-role/GatehouseEmulator/gatehouse`,
    userId: 'AROAEMULATOREXAMPLE00:gatehouse',
  };
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The action named by a form body, e.g. `GetCallerIdentity`. */
export const queryAction = (body: string): string | undefined => new URLSearchParams(body).get('Action') ?? undefined;

export function sendCallerIdentity(res: ServerResponse, requestId: string, identity: CallerIdentity): void {
  sendXml(
    res,
    200,
    `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">` +
      '<GetCallerIdentityResult>' +
      `<Arn>${escapeXml(identity.arn)}</Arn><UserId>${escapeXml(identity.userId)}</UserId><Account>${escapeXml(identity.account)}</Account>` +
      '</GetCallerIdentityResult>' +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      '</GetCallerIdentityResponse>',
  );
}

/** awsQuery's error document: the SDK reads Error/Code as the error name. */
export function sendQueryError(res: ServerResponse, requestId: string, status: number, code: string, message: string): void {
  sendXml(
    res,
    status,
    `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
      `<Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId>` +
      '</ErrorResponse>',
  );
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}
