// What a card reader hands to the rest of the app: plain data, no Node imports (may move to shared/).

export type CardKind = 'social_security' | 'resident_id';

export type Sex = 'male' | 'female' | 'unknown';

interface CardReadBase {
  /** 18-character GB 11643 number, check character verified. */
  idNumber: string;
  name: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  /** apdu: our own SSSE reader; card_bas: a vendor iReadCardBas library; sam: an ID card SAM module. */
  source: 'apdu' | 'card_bas' | 'sam';
}

export interface SocialSecurityCardRead extends CardReadBase {
  kind: 'social_security';
  /** 卡号, 9 characters. */
  cardNumber: string;
  /** 卡识别码, 32 hex digits: region code, RID D156000005, card-specific part. */
  cardIdentifier: string;
  /** 发卡地区行政区划代码, the first 6 digits of the card identifier. */
  regionCode: string;
  /** 规范版本, e.g. "2.00" or "3.00". */
  specVersion: string;
  issueDate?: string;
  expiryDate?: string;
  /** GB 3304 code, '01' = 汉. */
  ethnicityCode?: string;
  /** Region code of the birthplace. */
  birthPlace?: string;
}

export interface ResidentIdCardRead extends CardReadBase {
  kind: 'resident_id';
  /** 居民身份证, or 港澳台居民居住证 (type byte 'J'). */
  documentType: 'resident_id' | 'hmt_residence_permit';
  ethnicityCode?: string;
  address: string;
  issuingAuthority: string;
  validFrom: string;
  /** YYYY-MM-DD or '长期'. */
  validUntil: string;
  /** Residence permits: 通行证号码 and 签发次数. */
  passNumber?: string;
  issueCount?: string;
}

export type CardRead = SocialSecurityCardRead | ResidentIdCardRead;
