// Cloud provider credentials: AWS access key ids (and secrets pasted next to them; a secret assigned
// to `aws_secret_access_key` is found by the generic rule), Google API keys and OAuth client
// secrets, Azure storage and Service Bus keys, SAS signatures and Entra ID client secrets.
// (Service-account private keys are caught by the private-key rule, escaped newlines included.)
import { isExampleOrFiller, randomEnough } from '../allow';
import { base64ByteLength } from '../checksums';
import { anchoredRule, regexRule, type SecretRule } from '../rule';

const notFiller = (s: string) => !isExampleOrFiller(s);

export const CLOUD_RULES: SecretRule[] = [
  regexRule({
    id: 'aws-access-key-id',
    tagged: false, // 16 base32 characters, part of them derived from the account: no hash tag
    pattern: /(?<![A-Za-z0-9_-])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])/dg,
    validate: notFiller,
  }),
  regexRule({
    // The IAM "credentials.csv" download and pasted key pairs: an access key id, a separator, then the secret.
    id: 'aws-secret-access-key',
    pattern:
      /(?<![A-Za-z0-9_-])(?:AKIA|ASIA)[A-Z2-7]{16}[ \t]*[,;:|\t][ \t]*["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dg,
    validate: (s) => /[0-9]/.test(s) && randomEnough(3.8)(s),
  }),
  regexRule({
    id: 'google-api-key',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/dg,
    validate: notFiller,
  }),
  regexRule({
    id: 'google-oauth-client-secret',
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/dg,
    validate: notFiller,
  }),
  regexRule({
    id: 'azure-storage-key',
    pattern:
      /(?<![A-Za-z0-9_-])(?:AccountKey|accountkey|ACCOUNTKEY|PrimaryKey|SecondaryKey)[ \t]*=[ \t]*(?<s>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/dg,
    validate: notFiller,
  }),
  regexRule({
    id: 'azure-shared-access-key',
    pattern: /(?<![A-Za-z0-9_-])SharedAccessKey=(?<s>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/dg,
    validate: notFiller,
  }),
  anchoredRule({
    // Azure SAS tokens and Logic Apps / Power Automate (Teams workflow) URLs: `sig=` is an HMAC-SHA256.
    id: 'azure-sas-signature',
    anchor: 'sig=',
    back: [1, 1],
    pattern: /[?&;]sig=(?<s>[A-Za-z0-9%+/_-]{40,120})/dy,
    validate: (s) => {
      let raw: string;
      try {
        raw = decodeURIComponent(s);
      } catch {
        return false;
      }
      return base64ByteLength(raw) === 32 && randomEnough(3.5)(raw);
    },
  }),
  anchoredRule({
    id: 'azure-ad-client-secret',
    anchor: 'Q~',
    back: [4, 4],
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/dy,
    validate: randomEnough(3.5),
  }),
];
