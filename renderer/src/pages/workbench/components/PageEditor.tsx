import { QuestionCircleOutlined, RotateLeftOutlined, RotateRightOutlined } from '@ant-design/icons';
import { Button, Slider, Space, Tooltip, Typography } from 'antd';
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import {
  clampFineAngle,
  defaultCrop,
  dragCrop,
  FINE_ANGLE_LIMIT,
  fitScale,
  rotatedBounds,
  toDisplayRect,
  totalAngle,
  turn,
  type DragHandle,
  type PageEdit,
  type Point,
  type Rect,
  type Size,
} from './page-geometry';
import { drawRotated } from './page-upload';

/** Room for the picture on screen. */
const STAGE = { width: 680, height: 440 };
/** A drag outside the crop shorter than this (screen pixels) is a click, not a new crop. */
const CLICK_SLOP = 4;
const HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'] as const;
const HANDLE_LABELS: Record<(typeof HANDLES)[number], string> = {
  nw: '左上角',
  n: '上边',
  ne: '右上角',
  e: '右边',
  se: '右下角',
  s: '下边',
  sw: '左下角',
  w: '左边',
};

const SHORTCUTS = [
  ['[ 或 ]', '向左或向右旋转90°'],
  ['← 或 →', '校正角度 −0.5° 或 +0.5°（按住 Shift 为 0.1°）'],
  ['R', '复位（撤销全部调整）'],
  ['Enter', '确定'],
  ['Esc', '放弃这一页'],
  ['鼠标', '在图上拖出裁剪框；拖动边角调整，拖动框内移动'],
] as const;

const handleStyle = (h: (typeof HANDLES)[number]): CSSProperties => ({
  position: 'absolute',
  width: 12,
  height: 12,
  background: '#fff',
  border: '1px solid #1677ff',
  left: h.includes('w') ? -6 : h.includes('e') ? 'calc(100% - 6px)' : 'calc(50% - 6px)',
  top: h.includes('n') ? -6 : h.includes('s') ? 'calc(100% - 6px)' : 'calc(50% - 6px)',
  cursor: `${h}-resize`,
});

/**
 * Turn, straighten and crop one page before it is filed. The geometry is page-geometry.ts; this draws the preview and
 * turns pointer and keys into edits. Any turn or straightening starts the crop again from the whole (inner) page.
 */
export function PageEditor({
  image,
  size,
  busy,
  discardLabel,
  onConfirm,
  onDiscard,
}: {
  image: CanvasImageSource;
  size: Size;
  busy: boolean;
  /** 重拍 for a camera frame, 取消 for an imported file. */
  discardLabel: string;
  onConfirm: (edit: PageEdit) => void;
  onDiscard: () => void;
}) {
  const [edit, setEdit] = useState<PageEdit>(() => ({ quarterTurns: 0, fineAngle: 0, crop: { x: 0, y: 0, ...size } }));
  const canvas = useRef<HTMLCanvasElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const drag = useRef<{ handle: DragHandle; start: Rect; from: Point } | null>(null);
  const angle = totalAngle(edit);
  const bounds = rotatedBounds(size, angle);
  const scale = fitScale(bounds, STAGE);

  useEffect(() => root.current?.focus(), []);
  useLayoutEffect(() => {
    const c = canvas.current!;
    c.width = Math.round(bounds.width * scale);
    c.height = Math.round(bounds.height * scale);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    drawRotated(ctx, image, size, angle, { x: 0, y: 0 });
  }, [image, size, angle, bounds.width, bounds.height, scale]);

  const rotate = (quarterTurns: PageEdit['quarterTurns'], fineAngle: number) =>
    setEdit({ quarterTurns, fineAngle, crop: defaultCrop(size, { quarterTurns, fineAngle }) });
  const straighten = (degrees: number) => rotate(edit.quarterTurns, clampFineAngle(degrees));

  const pointAt = (e: PointerEvent): Point => {
    const box = canvas.current!.getBoundingClientRect();
    return { x: (e.clientX - box.left) / scale, y: (e.clientY - box.top) / scale };
  };
  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    const handle = ((e.target as HTMLElement).dataset.handle as DragHandle | undefined) ?? 'new';
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { handle, start: edit.crop, from: pointAt(e) };
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) return;
    const to = pointAt(e);
    if (d.handle === 'new' && Math.hypot(to.x - d.from.x, to.y - d.from.y) * scale < CLICK_SLOP) return;
    setEdit((prev) => ({ ...prev, crop: dragCrop(d.start, d.handle, d.from, to, bounds) }));
  }
  const endDrag = () => void (drag.current = null);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    // The slider moves itself with the arrows, and a focused button answers Enter itself.
    if (target.getAttribute('role') === 'slider' && e.key.startsWith('Arrow')) return;
    if (target.tagName === 'BUTTON' && (e.key === 'Enter' || e.key === ' ')) return;
    const step = e.shiftKey ? 0.1 : 0.5;
    const actions: Record<string, () => void> = {
      '[': () => rotate(turn(edit.quarterTurns, -1), edit.fineAngle),
      ']': () => rotate(turn(edit.quarterTurns, 1), edit.fineAngle),
      ArrowLeft: () => straighten(edit.fineAngle - step),
      ArrowRight: () => straighten(edit.fineAngle + step),
      r: () => rotate(0, 0),
      R: () => rotate(0, 0),
      Enter: () => !busy && onConfirm(edit),
      Escape: onDiscard,
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    // Esc leaves this page only, not the dialog around it.
    e.stopPropagation();
    action();
  }

  const shown = toDisplayRect(edit.crop, scale);
  return (
    <div ref={root} tabIndex={-1} onKeyDown={onKeyDown} aria-label="调整页面" role="group" style={{ outline: 'none' }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Button icon={<RotateLeftOutlined />} onClick={() => rotate(turn(edit.quarterTurns, -1), edit.fineAngle)}>
          左转90°
        </Button>
        <Button icon={<RotateRightOutlined />} onClick={() => rotate(turn(edit.quarterTurns, 1), edit.fineAngle)}>
          右转90°
        </Button>
        <span>校正</span>
        <Slider
          style={{ width: 180, margin: '0 8px' }}
          min={-FINE_ANGLE_LIMIT}
          max={FINE_ANGLE_LIMIT}
          step={0.1}
          value={edit.fineAngle}
          onChange={(v) => straighten(v)}
          ariaLabelForHandle="校正角度"
          tooltip={{ formatter: (v) => `${v}°` }}
        />
        <span data-testid="fine-angle" style={{ minWidth: 48, display: 'inline-block' }}>
          {edit.fineAngle}°
        </span>
        <Button onClick={() => rotate(0, 0)}>复位</Button>
        <Tooltip
          title={
            <div>
              {SHORTCUTS.map(([key, what]) => (
                <div key={key}>
                  <b>{key}</b>：{what}
                </div>
              ))}
            </div>
          }
        >
          <Button type="text" icon={<QuestionCircleOutlined />} aria-label="快捷键" />
        </Tooltip>
      </Space>
      <div style={{ background: '#333', display: 'grid', placeItems: 'center', minHeight: 240, padding: 8 }}>
        <div
          data-testid="page-stage"
          style={{ position: 'relative', overflow: 'hidden', touchAction: 'none', cursor: 'crosshair' }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          <canvas ref={canvas} data-testid="page-preview" style={{ display: 'block' }} />
          <div
            data-handle="move"
            data-testid="crop-box"
            style={{
              position: 'absolute',
              left: shown.x,
              top: shown.y,
              width: shown.width,
              height: shown.height,
              boxShadow: '0 0 0 9999px rgba(0, 0, 0, 0.45)',
              outline: '1px dashed #fff',
              cursor: 'move',
            }}
          >
            {HANDLES.map((h) => (
              <div key={h} data-handle={h} data-testid={`crop-${h}`} aria-label={`裁剪框${HANDLE_LABELS[h]}`} style={handleStyle(h)} />
            ))}
          </div>
        </div>
      </div>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
        裁剪后 <span data-testid="crop-size">{`${edit.crop.width} × ${edit.crop.height}`}</span> 像素
      </Typography.Paragraph>
      <Space>
        <Button type="primary" loading={busy} onClick={() => onConfirm(edit)}>
          确定
        </Button>
        <Button disabled={busy} onClick={onDiscard}>
          {discardLabel}
        </Button>
      </Space>
    </div>
  );
}
