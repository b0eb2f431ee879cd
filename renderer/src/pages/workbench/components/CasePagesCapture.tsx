import { Button, Typography } from 'antd';
import type { CaseView } from '#shared/api/cases';
import { MaterialPages } from '../../../components/MaterialPages';
import { PageCapture } from './PageCapture';

/**
 * The checklist of a case just accepted, for its pages: each material gets 拍照, 导入 and 扫描导入, with thumbnails of what is
 * filed. Pages can be taken off again until the case is delivered.
 */
export function CasePagesCapture({ view, onClose }: { view: CaseView; onClose: () => void }) {
  return (
    <section aria-label="材料影像采集" style={{ marginTop: 12 }}>
      <Typography.Title level={5}>材料影像（受理编号 {view.caseNo}）</Typography.Title>
      <MaterialPages
        caseId={view.id}
        materials={view.materials.filter((m) => m.status === 'received')}
        removable={view.status !== 'delivered'}
        capture={(material, reload) => <PageCapture caseId={view.id} material={material} onAttached={reload} />}
      />
      <Button style={{ marginTop: 8 }} onClick={onClose}>
        采集完毕
      </Button>
    </section>
  );
}
