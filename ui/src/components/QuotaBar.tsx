// One quota of a hosting: "used of max" with a bar, or "not measured yet" until agents report it.
import { useI18n } from '../i18n/i18n.js';

export function QuotaBar(props: { label: string; used?: number; max: number; format?(n: number): string }) {
  const { t, fmt } = useI18n();
  const show = props.format ?? fmt.number;
  const measured = props.used !== undefined;
  const ratio = measured && props.max > 0 ? Math.min(1, props.used! / props.max) : 0;
  const level = ratio >= 0.9 ? 'high' : ratio >= 0.7 ? 'medium' : 'low';
  return (
    <div className="quota" data-testid="quota">
      <div className="quota-text">
        <span className="quota-label">{props.label}</span>
        <span className="quota-value">
          {measured ? t('quota.usedOfMax', { used: show(props.used!), max: show(props.max)}) : t('quota.notMeasured', { max: show(props.max) })}
        </span>
      </div>
      <div className={`quota-track${measured ? '' : ' quota-unmeasured'}`} aria-hidden="true">
        {measured && <div className={`quota-fill quota-${level}`} style={{ width: `${Math.round(ratio * 100)}%` }} />}
      </div>
    </div>
  );
}
