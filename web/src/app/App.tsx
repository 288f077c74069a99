// Providers and routes. Every page is its own chunk (route-level code splitting).
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError, setUnauthorizedHandler } from '../lib/api';
import { ToastProvider } from '../components/Toast';
import { Skeleton } from '../components/ui';
import { AuthProvider, useAuth } from './auth';
import Layout from './Layout';

const Login = lazy(() => import('../pages/Login'));
const Register = lazy(() => import('../pages/Register'));
const Dashboard = lazy(() => import('../pages/Dashboard'));
const Crews = lazy(() => import('../pages/Crews'));
const CrewDetail = lazy(() => import('../pages/CrewDetail'));
const Executions = lazy(() => import('../pages/Executions'));
const ExecutionDetail = lazy(() => import('../pages/ExecutionDetail'));
const Settings = lazy(() => import('../pages/Settings'));
const NotFound = lazy(() => import('../pages/NotFound'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.setQueryData(['me'], null);
      if (!location.pathname.startsWith('/login')) {
        navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}&expired=1`);
      }
    });
  }, [navigate, location]);
  return null;
}

function RequireAuth({ children }: { children: React.ReactNode }) {
  const { user } = useAuth();
  const location = useLocation();
  if (user === undefined) return <div className="page"><Skeleton lines={6} /></div>;
  if (user === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <BrowserRouter>
          <AuthProvider>
            <UnauthorizedRedirect />
            <Suspense fallback={<div className="page"><Skeleton lines={6} /></div>}>
              <Routes>
                <Route path="/login" element={<Login />} />
                <Route path="/register" element={<Register />} />
                <Route element={<RequireAuth><Layout /></RequireAuth>}>
                  <Route index element={<Dashboard />} />
                  <Route path="crews" element={<Crews />} />
                  <Route path="crews/:id" element={<CrewDetail />} />
                  <Route path="crews/:id/:tab" element={<CrewDetail />} />
                  <Route path="executions" element={<Executions />} />
                  <Route path="executions/:id" element={<ExecutionDetail />} />
                  <Route path="settings" element={<Settings />} />
                  <Route path="settings/:tab" element={<Settings />} />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </ToastProvider>
    </QueryClientProvider>
  );
}
