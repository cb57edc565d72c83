import { Empty } from '../components/states.tsx';

export default function Page() {
  return <Empty title="Not built yet" />;
}
