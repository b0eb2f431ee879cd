/**
 * Person and employer fields as the central office sends them (camelCase wire names), with the local column each
 * one lives in and the label an operator reads in the inbox.
 */
export const REGISTRY_FIELDS = {
  person: {
    idNumber: { column: 'id_number', label: '证件号码' },
    idKind: { column: 'id_kind', label: '证件类型' },
    name: { column: 'name', label: '姓名' },
    sex: { column: 'sex', label: '性别' },
    birthDate: { column: 'birth_date', label: '出生日期' },
    phone: { column: 'phone', label: '联系电话' },
    address: { column: 'address', label: '地址' },
    cardNumber: { column: 'card_number', label: '社会保障卡卡号' },
    employerId: { column: 'employer_id', label: '所在单位' },
  },
  employer: {
    creditCode: { column: 'credit_code', label: '统一社会信用代码' },
    name: { column: 'name', label: '单位名称' },
    legalRep: { column: 'legal_rep', label: '法定代表人' },
    phone: { column: 'phone', label: '联系电话' },
    address: { column: 'address', label: '地址' },
    riskClass: { column: 'risk_class', label: '行业风险类别' },
  },
} as const satisfies Record<RegistryEntity, Record<string, { column: string; label: string }>>;

export type RegistryEntity = 'person' | 'employer';
export const ENTITY_LABELS: Record<RegistryEntity, string> = { person: '参保人', employer: '单位' };

export const fieldLabel = (entity: RegistryEntity, field: string): string =>
  (REGISTRY_FIELDS[entity] as Record<string, { label: string }>)[field]?.label ?? field;

/** Which registry record an operation of this device wrote, from its type and payload. */
export function registryTarget(type: string, payload: Record<string, unknown>): { entity: RegistryEntity; id: string } | null {
  const [entity, verb] = type.split('.');
  if (entity !== 'person' && entity !== 'employer') return null;
  const id = verb === 'created' ? payload.id : payload[`${entity}Id`];
  return typeof id === 'string' ? { entity, id } : null;
}
