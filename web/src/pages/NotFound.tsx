import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/ui';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <EmptyState title={t('errors.notFound')} hint={t('errors.notFoundHint')} action={<Link className="btn btn-primary" to="/">{t('errors.goHome')}</Link>} />
    </div>
  );
}
